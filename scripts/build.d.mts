/** Builds dist/ unless it is newer than every source; true when it built. */
export function buildIfStale(options?: { force?: boolean }): Promise<boolean>;
