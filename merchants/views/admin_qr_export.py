"""Admin: download the QR codes of a city, county or district as one ZIP (PNG, SVG, index.csv)."""

import tempfile
import zipfile
from pathlib import Path

from django import forms
from django.http import FileResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import regions

from .. import qr_export
from ..models import BusinessDistrict, Region


def region_choices():
    """Cities as option groups, each led by the whole city, then its counties."""
    rows = Region.objects.filter(level__in=[regions.CITY, regions.COUNTY]).values_list(
        "code", "name", "level", "parent_id"
    )
    groups = {}
    for code, name, level, parent_id in rows:
        if level == regions.CITY:
            groups.setdefault(code, [name, []])[0] = name
            groups[code][1].insert(0, (code, _("%(city)s（全市）") % {"city": name}))
        else:
            groups.setdefault(parent_id, ["", []])[1].append((code, name))
    return [("", _("请选择行政区划"))] + [(name, options) for name, options in groups.values()]


class QrExportForm(forms.Form):
    region = forms.ChoiceField(label=gettext_lazy("行政区划"), required=False)
    district = forms.ModelChoiceField(
        label=gettext_lazy("或商圈/街区/市场"),
        queryset=BusinessDistrict.objects.all(),
        required=False,
        empty_label=gettext_lazy("请选择商圈/街区/市场"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()

    def clean(self):
        data = super().clean()
        region, district = data.get("region"), data.get("district")
        if bool(region) == bool(district):
            raise forms.ValidationError(_("请在行政区划和商圈中选择一项（只选一项）"))
        scope = {"region": region or None, "district": district.pk if district else None}
        if not qr_export.select_merchants(**scope).exists():
            raise forms.ValidationError(_("所选范围内没有可导出二维码的商家"))
        data["scope"] = scope
        return data


def _zip_directory(directory, target):
    # PNGs are already compressed: stored as they are; the SVGs and the index shrink well.
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(Path(directory).iterdir()):
            method = zipfile.ZIP_STORED if path.suffix == ".png" else zipfile.ZIP_DEFLATED
            archive.write(path, arcname=path.name, compress_type=method)


def _zip_name(scope):
    if scope["region"]:
        return f"qr-{scope['region']}.zip"
    return f"qr-district-{scope['district']}.zip"


def index(request):
    if not request.user.has_perm("merchants.change_merchant"):
        # A plain 403 page: Wagtail would turn PermissionDenied into a redirect to the dashboard.
        return TemplateResponse(request, "merchants/admin/qr_export_denied.html", status=403)
    form = QrExportForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        scope = form.cleaned_data["scope"]
        # An anonymous temporary file: gone from disk as soon as the response closes it.
        archive = tempfile.TemporaryFile()
        with tempfile.TemporaryDirectory(prefix="qr-export-") as directory:
            qr_export.export(directory, **scope)
            _zip_directory(directory, archive)
        archive.seek(0)
        return FileResponse(
            archive,
            as_attachment=True,
            filename=_zip_name(scope),
            content_type="application/zip",
        )
    return TemplateResponse(request, "merchants/admin/qr_export.html", {"form": form})
