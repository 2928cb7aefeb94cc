# Spanish formats for Steward (settings.FORMAT_MODULE_PATH): "3 de marzo de 2026",
# "10 a. m." (the "a.m." of the `a` format is "a. m." in locale/es).
DATE_FORMAT = r"j \d\e F \d\e Y"
DATETIME_FORMAT = r"j \d\e F \d\e Y, g:i a"
TIME_FORMAT = "g:i a"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
