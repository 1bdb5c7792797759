// The HTML of the results and compare webviews: a strict CSP with a nonce, the bundled script and stylesheet from dist/webview only.
import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

function makeNonce(): string {
    return randomBytes(18)
        .toString('base64')
        .replace(/[^A-Za-z0-9]/g, '');
}

/** `bundle`: the script and stylesheet of the view in dist/webview (results-view, compare-view). */
export function renderResultsHtml(webview: vscode.Webview, webviewRoot: vscode.Uri, title: string, bundle = 'results-view'): string {
    const nonce = makeNonce();
    const asset = (file: string) => webview.asWebviewUri(webviewRootChild(webviewRoot, file)).toString();
    // no 'unsafe-eval' / 'unsafe-inline' and no remote hosts: Vega needs neither (its expressions run in vega-interpreter)
    const csp =
        [
            `default-src 'none'`,
            `script-src 'nonce-${nonce}'`,
            `style-src ${webview.cspSource} 'nonce-${nonce}'`,
            `img-src ${webview.cspSource} data:`,
        ].join('; ') + ';';
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${nonce}" href="${asset(`${bundle}.css`)}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<main id="app" class="app" aria-live="polite"><p class="status">Loading…</p></main>
<script nonce="${nonce}" src="${asset(`${bundle}.js`)}"></script>
</body>
</html>`;
}

function webviewRootChild(root: vscode.Uri, file: string): vscode.Uri {
    return root.with({ path: `${root.path.replace(/\/$/, '')}/${file}` });
}

function escapeHtml(text: string): string {
    return text.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
