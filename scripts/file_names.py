"""Names of files and folders made from labels, metrics and parameters."""


def safe_name(text):
    """text with every character other than letters, digits, '-', '_' and
    '.' replaced by '_'."""
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in text)
