// The slice of the WebAssembly JS API simd-kernel.ts uses (lib ES2022 declares none of it).
declare namespace WebAssembly {
    interface Memory {
        readonly buffer: ArrayBuffer;
    }
    interface Instance {
        readonly exports: Record<string, unknown>;
    }
    const Module: { new (bytes: Uint8Array): Module };
    const Instance: { new (module: Module, imports?: Record<string, Record<string, unknown>>): Instance };
    const Memory: { prototype: Memory; new (descriptor: { initial: number }): Memory };
}
