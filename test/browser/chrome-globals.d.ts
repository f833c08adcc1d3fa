/**
 * The few extension APIs the browser tests call inside Chromium (code passed to evaluate() and
 * addInitScript() runs in the extension, where `chrome` exists).
 */
declare const chrome: {
  action: {
    getBadgeText(details: object): Promise<string>;
    getTitle(details: object): Promise<string>;
    getBadgeBackgroundColor(details: object): Promise<number[]>;
  };
  permissions: { request(permissions: { origins?: string[] }): Promise<boolean> };
  storage: { local: { set(items: Record<string, unknown>): Promise<void> } };
};
