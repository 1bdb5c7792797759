// Valid seed specs for the fuzzer, written from docs/language.md's spec-language section.

export interface SeedSpec {
    name: string;
    text: string;
}

export const DESIGN_SEEDS: SeedSpec[] = [
    {
        name: 'docs/language.md#paper',
        text: `// y = A x on random sparse binary 20 x 20 matrices: the paper's setting
operation Matvec20 {
    matvec                      // or: power 2  |  polynomial [0.5, 1, 0.25]
    size 20                     // n
    sparsity 0.5                // probability that an entry of A is zero
    entries binary              // binary | uniform(0, 1) | normal(0, 1)
    vectors uniform(-1, 1)      // distribution of x (this is the default)
}

operation Weighted20 {
    matvec
    size 20
    sparsity 0.5
    entries uniform(0, 1)
}

network Emn {
    width 4                     // units per row cluster
    depth 2                     // hidden layers
    masking 1                   // masking layers (power k needs k)
    pruning rowwise             // rowwise = EMN; none = dense baseline
    activation none             // none | relu | tanh
}

experiment Paper {
    learn Matvec20 with Emn
    optimizer sgd(lr 0.05, momentum 0.9)     // or adam(lr 0.01)
    batch 64
    steps 3000
    stop when mse < 1e-7        // optional early stop
    schedule joint              // or: metaEpochs 5 masks 64 steps 40 order shuffled
    seed 7
    evaluate 2000 samples                    // fresh (A, x) from Matvec20
    evaluate 2000 samples on Weighted20      // out-of-distribution check
}

experiment Sizes {
    learn Matvec20 with Emn
    steps 3000
    sweep size [5, 10, 15, 20], sparsity [0.2, 0.5, 0.8]
}
`,
    },
    {
        // the alternatives named in docs/language.md and the grammar, so every rule is reachable
        name: 'docs/language.md#alternatives',
        text: `operation Power2 {
    power 2
    size 10
    sparsity 0.2
    entries normal(0, 1)
    vectors normal(0, 0.5)
}

operation Filter {
    polynomial [0.5, 1, 0.25]
    size 8
}

network Deep {
    width 8
    depth 3
    masking 2
    pruning none
    activation relu
}

experiment Interaction {
    learn Power2 with Deep
    optimizer adam(lr 0.01, beta1 0.9, beta2 0.999, epsilon 1e-8)
    schedule metaEpochs 5 masks 64 steps 40 order shuffled
    pool 128
    evaluate 500 samples on pool
    sweep masking [1, 2], lr [0.01, 0.001]
}
`,
    },
    {
        name: 'docs/language.md#minimal',
        text: `operation Op { matvec }
network Net { }
experiment E { learn Op with Net }
`,
    },
];
