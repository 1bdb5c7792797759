// Preloaded into a benchmarked `emn train` process (node --require): writes its peak RSS (kB) to EMN_MAX_RSS_FILE at exit.
const file = process.env.EMN_MAX_RSS_FILE;
if (file) process.on('exit', () => require('node:fs').writeFileSync(file, String(process.resourceUsage().maxRSS)));
