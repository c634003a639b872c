import fs from 'node:fs';

/**
 * CPU time (ms) used so far by the PostgreSQL backends serving one database, read from /proc (Linux;
 * null elsewhere). Backends name their database in their process title: `postgres: user db …`.
 */
export function postgresCpuMs(database: string): number | null {
  if (!fs.existsSync('/proc/self/stat')) return null;
  const ticksPerMs = 100 / 1000; // USER_HZ is 100 on Linux
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const title = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (!title.startsWith('postgres: ') || !title.split(' ').includes(database)) continue;
      // Fields after the ")" that ends the command name: utime and stime are the 12th and 13th.
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended while being read
    }
  }
  return ticks / ticksPerMs;
}
