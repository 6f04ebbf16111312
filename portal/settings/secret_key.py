"""Which SECRET_KEY production may start with.

The key signs sessions, password-reset links and CSRF tokens and salts the rate limiter's
client hashes: a short, guessable or published key lets anyone forge them. Production refuses
to start with one (``production.py``); the messages are in Chinese and English because they are
read on a server console before any translation is loaded.
"""

DEV_KEY = "dev-only-insecure-key-do-not-use-in-production"
TEST_KEY = "test-only-key-0123456789-abcdefghijklmnopqrstuvwxyz"
# Keys written in this repository (settings, Makefile history) or Django's project template.
KNOWN_KEYS = {DEV_KEY, TEST_KEY, "collectstatic-only"}
KNOWN_PREFIXES = ("django-insecure-",)
MIN_LENGTH = 50
MIN_DISTINCT_CHARACTERS = 10
HOW_TO_MAKE_ONE = (
    "生成方法 / To make one: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
)


def weakness(key):
    """Why ``key`` must not be used in production, in Chinese and English; None when it may."""
    distinct = len(set(key))
    if not key:
        return (
            "生产环境必须在环境变量中设置 SECRET_KEY。"
            " SECRET_KEY must be set in the environment for production."
        )
    if key in KNOWN_KEYS or key.startswith(KNOWN_PREFIXES):
        return (
            "SECRET_KEY 是公开的开发或测试密钥，不能用于生产环境。"
            " SECRET_KEY is a published development or test key."
        )
    if len(key) < MIN_LENGTH:
        return (
            f"SECRET_KEY 太短：只有 {len(key)} 个字符，至少需要 {MIN_LENGTH} 个。"
            f" SECRET_KEY is too short: {len(key)} characters, at least {MIN_LENGTH} needed."
        )
    if distinct < MIN_DISTINCT_CHARACTERS:
        return (
            f"SECRET_KEY 只由 {distinct} 种字符组成，至少需要 {MIN_DISTINCT_CHARACTERS} 种。"
            f" SECRET_KEY uses only {distinct} distinct characters,"
            f" at least {MIN_DISTINCT_CHARACTERS} needed."
        )
    return None
