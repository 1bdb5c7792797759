// Small DOM builders for the results view (elements are created, never parsed from HTML strings, so the CSP holds).

type Child = Node | string | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
        // `style` would be an inline style attribute, which the CSP forbids: classes only
        if (key === 'style') throw new Error('results view: use a class, not a style attribute');
        if (key === 'class') node.className = value;
        else node.setAttribute(key, value);
    }
    for (const child of children) {
        if (child === undefined || child === false) continue;
        node.append(child);
    }
    return node;
}

export function button(label: string, onClick: () => void, secondary = false, title?: string): HTMLButtonElement {
    const b = el('button', { type: 'button', class: secondary ? 'secondary' : '', ...(title ? { title } : {}) }, label);
    b.addEventListener('click', onClick);
    return b;
}

export function table(headers: string[], rows: string[][], caption?: string): HTMLTableElement {
    return el('table', {},
        caption ? el('caption', { class: 'meta' }, caption) : undefined,
        el('thead', {}, el('tr', {}, ...headers.map(h => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ...rows.map(r => el('tr', {}, ...r.map(c => el('td', {}, c))))),
    );
}

/** Numbers as people read them in an error table: 4 significant digits, exponent when tiny or huge. */
export function fmt(value: number | undefined): string {
    if (value === undefined) return '–';
    if (!Number.isFinite(value)) return String(value);
    if (value === 0) return '0';
    const abs = Math.abs(value);
    return abs >= 1e4 || abs < 1e-3 ? value.toExponential(2) : String(Number(value.toPrecision(4)));
}

/** A theme colour from VS Code's CSS variables, with a fallback when the variable is unset. */
export function themeColor(name: string, fallback: string): string {
    const value = getComputedStyle(document.body).getPropertyValue(name).trim();
    return value || fallback;
}
