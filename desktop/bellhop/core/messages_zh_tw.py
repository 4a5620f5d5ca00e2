"""Traditional Chinese (Taiwan) for every core message; tests check none is missing."""

ZH_TW: dict[str, str] = {
}
