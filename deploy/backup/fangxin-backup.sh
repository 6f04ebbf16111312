#!/usr/bin/env bash
# Nightly backup of Fangxin: the PostgreSQL database (pg_dump, custom format) and the two media
# folders (public uploads; complaint photos and other personal data), kept BACKUP_KEEP_DAYS days.
#
# Run by deploy/systemd/fangxin-backup.timer as the fangxin user, with /srv/fangxin/.env read
# (DATABASE_URL, MEDIA_ROOT, PRIVATE_MEDIA_ROOT). By hand: `systemctl start fangxin-backup`, or
#   set -a; . /srv/fangxin/.env; set +a; deploy/backup/fangxin-backup.sh
#
# Restore: createdb fangxin && pg_restore --no-owner -d fangxin DIR/fangxin-<time>.dump, then
#   tar -xzf DIR/media-<time>.tar.gz -C "$MEDIA_ROOT" (and private-… into PRIVATE_MEDIA_ROOT),
#   then manage.py migrate and manage.py rebuild_site_search (README: Site search index).
#
# The private archive holds complainants' personal data: the backup folder is mode 0700, each
# file 0600, and a copy off this machine must be encrypted (e.g. gpg or restic) before it leaves.
set -euo pipefail
umask 077

BACKUP_DIR="${BACKUP_DIR:-/var/backups/fangxin}"
BACKUP_KEEP_DAYS="${BACKUP_KEEP_DAYS:-14}"
: "${DATABASE_URL:?DATABASE_URL is not set (read /srv/fangxin/.env first)}"
MEDIA_ROOT="${MEDIA_ROOT:-/srv/fangxin/media}"
PRIVATE_MEDIA_ROOT="${PRIVATE_MEDIA_ROOT:-/srv/fangxin/var/private}"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$BACKUP_DIR"
chmod 0700 "$BACKUP_DIR"

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*"; }

# Written under a temporary name and renamed when complete: a run killed midway never leaves a
# file that looks like a good backup, and the retention below never counts one.
dump="$BACKUP_DIR/fangxin-$stamp.dump"
log "pg_dump -> $dump"
pg_dump --format=custom --compress=6 --no-owner --file="$dump.partial" "$DATABASE_URL"
# A dump that pg_restore cannot list is no backup.
pg_restore --list "$dump.partial" >/dev/null
mv "$dump.partial" "$dump"

archive_folder() {
    local name="$1" folder="$2" target
    target="$BACKUP_DIR/$name-$stamp.tar.gz"
    if [[ ! -d "$folder" ]]; then
        log "$name: $folder does not exist, skipped"
        return
    fi
    log "$name: $folder -> $target"
    tar --create --gzip --file="$target.partial" --directory="$folder" .
    mv "$target.partial" "$target"
}

archive_folder media "$MEDIA_ROOT"
archive_folder private "$PRIVATE_MEDIA_ROOT"

# Retention: complete backups older than BACKUP_KEEP_DAYS days, and leftovers of killed runs.
find "$BACKUP_DIR" -maxdepth 1 -type f \
    \( -name 'fangxin-*.dump' -o -name 'media-*.tar.gz' -o -name 'private-*.tar.gz' -o -name '*.partial' \) \
    -mtime +"$BACKUP_KEEP_DAYS" -print -delete

log "done: $(du -sh "$BACKUP_DIR" | cut -f1) in $BACKUP_DIR"
