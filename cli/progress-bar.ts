// A one-line progress bar for `emn train` on an interactive terminal (stderr only; nothing when piped).
import type { TrainingProgress } from '../engine/view.js';
import { num, pointOf } from '../engine/view.js';

export class ProgressBar {
    private shown = false;

    constructor(private readonly stream: NodeJS.WriteStream) {}

    static enabled(stream: NodeJS.WriteStream, json: boolean): boolean {
        return !json && stream.isTTY === true;
    }

    update(p: TrainingProgress): void {
        const width = 24;
        const frac = p.steps > 0 ? Math.min(1, p.step / p.steps) : 0;
        const filled = Math.round(frac * width);
        const point = p.points > 1 ? ` ${pointOf(p.point, p.points)}` : '';
        const line = `${p.experiment}${point} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.step}/${p.steps} loss ${num(p.loss)}`;
        // some terminals (e.g. a pty without a size) report 0 columns: do not cut the line then
        const cols = this.stream.columns && this.stream.columns > 20 ? this.stream.columns : 200;
        this.stream.write(`\r${line.slice(0, cols - 1)}\x1b[K`);
        this.shown = true;
    }

    clear(): void {
        if (this.shown) this.stream.write('\r\x1b[K');
        this.shown = false;
    }
}
