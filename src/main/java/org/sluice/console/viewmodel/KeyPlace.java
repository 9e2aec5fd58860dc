package org.sluice.console.viewmodel;

/**
 * Where a remembered key goes on this computer: the platform's keychain when one answered as the
 * console started, otherwise the console's owner-only file
 * ({@code docs/decisions/0051-keys-in-the-os-keychain.md}). The connect and key dialogs say it.
 */
public enum KeyPlace {
    /** {@code connections.json}, which only its owner can read. */
    FILE("dialog.connect.remember", "dialog.connect.rememberHelp"),
    /** The macOS Keychain. */
    MACOS_KEYCHAIN("keychain.macos"),
    /** The Windows Credential Manager. */
    WINDOWS_CREDENTIAL_MANAGER("keychain.windows"),
    /** The freedesktop Secret Service on the user's D-Bus session (GNOME Keyring, KWallet). */
    SECRET_SERVICE("keychain.secretService");

    private final String rememberKey;
    private final String helpKey;
    private final String nameKey;

    KeyPlace(String rememberKey, String helpKey) {
        this.rememberKey = rememberKey;
        this.helpKey = helpKey;
        this.nameKey = null;
    }

    KeyPlace(String nameKey) {
        this.rememberKey = "dialog.connect.rememberKeychain";
        this.helpKey = "dialog.connect.rememberHelpKeychain";
        this.nameKey = nameKey;
    }

    public boolean isKeychain() {
        return nameKey != null;
    }

    /** The "remember" box's text, saying where the key will go. */
    public String rememberText(I18n i18n) {
        return nameKey == null ? i18n.get(rememberKey) : i18n.get(rememberKey, i18n.get(nameKey));
    }

    /** The line under the box: what ticking it does. */
    public String rememberHelp(I18n i18n) {
        return nameKey == null ? i18n.get(helpKey) : i18n.get(helpKey, i18n.get(nameKey));
    }
}
