# English formats for Steward (settings.FORMAT_MODULE_PATH): "3 March 2026".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "M j, Y, g:i a"
TIME_FORMAT = "g:i a"
MONTH_DAY_FORMAT = "M j"
