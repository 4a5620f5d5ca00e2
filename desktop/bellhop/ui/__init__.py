"""The window, the rule builder, Activity and the tray: the only package that imports Qt."""
