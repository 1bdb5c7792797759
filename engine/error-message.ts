// How a thrown value reads in a message: an Error's message, anything else as a string (used by every layer).
export function errorMessage(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
}

/** For a promise whose failure is already handled elsewhere (or does not matter): keeps it from being unhandled. */
export function ignore(_err: unknown): void {
    // nothing to do: the caller said why where it calls this
}
