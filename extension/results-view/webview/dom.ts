// Small DOM builders for the results view (elements are created, never parsed from HTML strings, so the CSP holds).
import { num } from '../../../engine/view.js';

type Child = Node | string | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
    tag: K,
    attrs: Record<string, string> = {},
    ...children: Child[]
): HTMLElementTagNameMap[K] {
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
    return el(
        'table',
        {},
        caption ? el('caption', { class: 'meta' }, caption) : undefined,
        el('thead', {}, el('tr', {}, ...headers.map(h => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ...rows.map(r => el('tr', {}, ...r.map(c => el('td', {}, c))))),
    );
}

/** Numbers in the view's tables: the same text as the CLI and the hovers (format-numbers.ts). */
export const fmt: (value: number | null | undefined) => string = num;

/** A theme colour from VS Code's CSS variables, with a fallback when the variable is unset. */
export function themeColor(name: string, fallback: string): string {
    const value = getComputedStyle(document.body).getPropertyValue(name).trim();
    return value || fallback;
}
