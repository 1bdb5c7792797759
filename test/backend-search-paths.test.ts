// tfjs-node is looked for beside the bundle first, then in the folders a user names, then in global npm folders.
import { delimiter } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tfjsNodeSearchPaths } from '../engine/training/backend.js';

describe('where @tensorflow/tfjs-node is looked for', () => {
    it('puts the bundle first, then EMN_TFJS_NODE_PATH and NODE_PATH in order, then global folders', () => {
        const paths = tfjsNodeSearchPaths({ EMN_TFJS_NODE_PATH: ['/a', '/b'].join(delimiter), NODE_PATH: '/c', HOME: '/home/u' });
        expect(paths.indexOf('/a')).toBe(1);
        expect(paths.slice(1, 4)).toEqual(['/a', '/b', '/c']);
        expect(paths).toContain('/usr/local/lib/node_modules');
        expect(paths).toContain('/home/u/.npm-global/lib/node_modules');
    });

    it('ignores empty entries', () => {
        const paths = tfjsNodeSearchPaths({ EMN_TFJS_NODE_PATH: `${delimiter}${delimiter}`, NODE_PATH: '' });
        expect(paths.every(p => p.length > 0)).toBe(true);
    });
});
