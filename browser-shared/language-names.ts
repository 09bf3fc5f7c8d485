/**
 * A language's name in that language ("Nederlands", "Français"), so people find their own
 * language whatever the interface currently reads.
 */
export function languageAutonym(code: string): string {
  try {
    const name = new Intl.DisplayNames([code], { type: 'language' }).of(code);
    if (name && name !== code) return name.charAt(0).toLocaleUpperCase(code) + name.slice(1);
  } catch {
    // Unknown to this browser's Intl data: fall through to the code itself.
  }
  return code;
}

/** A language's name in the interface language, for sentences ("in Dutch"). */
export function languageName(code: string, uiLanguage: string): string {
  try {
    return new Intl.DisplayNames([uiLanguage], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
