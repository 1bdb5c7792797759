// The key of one experiment's runs: its spec's URI in one spelling and the experiment's name (server and extension alike).
import { URI } from 'vscode-uri';

/** Clients spell the same file URI differently (drive letters, escapes): compare one normalised form. */
export function normalizeUri(uri: string): string {
    return URI.parse(uri).toString();
}

export function runKey(uri: string, experiment: string): string {
    return `${normalizeUri(uri)}#${experiment}`;
}
