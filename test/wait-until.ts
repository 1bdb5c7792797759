// Waits with a deadline: polling for what sends no signal (a file appearing, Slurm's queue, a page's DOM), and a ceiling on a promise; each
// fails naming what it awaited.
import { errorMessage } from '../engine/error-message.js';

/** Polls until `check` returns a value (not undefined/false) or the time is up; the error says what was awaited. */
export async function waitUntil<T>(
    what: string,
    check: () => Promise<T | undefined | false> | T | undefined | false,
    timeoutMs = 60_000,
    intervalMs = 200,
): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
        try {
            const value = await check();
            if (value !== undefined && value !== false) return value;
        } catch (err) {
            lastError = err;
        }
        if (Date.now() > deadline)
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${errorMessage(lastError)}` : ''}`);
        await new Promise(r => setTimeout(r, intervalMs));
    }
}

/** `promise`, or a failure naming what was awaited once `timeoutMs` pass (a ceiling against hangs, not a sleep). */
export async function withDeadline<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    });
    try {
        return await Promise.race([promise, late]);
    } finally {
        clearTimeout(timer);
    }
}
