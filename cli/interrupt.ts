// Ctrl-C during `emn train`: the first SIGINT cancels the run (it stops within a step, is saved, exit 2); more of them never cut a save
// short.
/*
 * `npx emn train` gets one Ctrl-C twice: the terminal signals the whole foreground group (npx and node), and npx
 * forwards its own copy to node. So a signal soon after the first is that same keypress and is ignored; a later one
 * is a user who wants out now: exit 130, unless results are being written (then after them).
 */
const SAME_KEYPRESS_MS = 1000;

export class Interrupts {
    readonly controller = new AbortController();
    private firstAt: number | undefined;
    private saving = 0;
    private exitAfterSave = false;
    private readonly onSignal = () => this.signal();

    constructor(private readonly notify: (line: string) => void) {
        process.on('SIGINT', this.onSignal);
    }

    get signalled(): AbortSignal {
        return this.controller.signal;
    }

    private signal(): void {
        const now = performance.now();
        if (this.firstAt === undefined) {
            this.firstAt = now;
            this.notify('cancelling: the run stops within a step and is saved (Ctrl-C again after a second to quit at once)');
            this.controller.abort();
            return;
        }
        if (now - this.firstAt < SAME_KEYPRESS_MS) return;
        if (this.saving > 0) {
            this.exitAfterSave = true;
            this.notify('writing results; quitting when they are written');
            return;
        }
        process.exit(130);
    }

    /** Runs `write` with a later Ctrl-C held back until it is done. */
    whileSaving<T>(write: () => T): T {
        this.saving++;
        try {
            return write();
        } finally {
            this.saving--;
            if (this.saving === 0 && this.exitAfterSave) process.exit(130);
        }
    }

    dispose(): void {
        process.off('SIGINT', this.onSignal);
    }
}
