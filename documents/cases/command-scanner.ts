import { spawn } from 'node:child_process';
import type { ScanVerdict, VirusScanner } from '../../domain/cases/documents/service.js';

/**
 * A virus scanner run as a command that reads the file on stdin, in ClamAV's convention: exit 0 clean, 1 found
 * (its output names the threat), anything else an error — which refuses the upload too, as an unscanned file must
 * not be stored. E.g. `commandScanner('clamdscan', ['--no-summary', '-'])`.
 */
export function commandScanner(command: string, args: string[] = [], timeoutMs = 60_000): VirusScanner {
  return {
    scan: (file) =>
      new Promise<ScanVerdict>((resolve, reject) => {
        const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
        // spawn's own `timeout` stays armed when the command never started; this one is cleared either way
        const timer = setTimeout(() => child.kill(), timeoutMs);
        let output = '';
        child.stdout.on('data', (d) => (output += String(d)));
        child.stderr.on('data', (d) => (output += String(d)));
        child.on('error', (err) => {
          clearTimeout(timer);
          for (const stream of [child.stdin, child.stdout, child.stderr]) stream.destroy(); // no pipes left open
          reject(err);
        });
        child.stdin.on('error', () => {}); // a scanner that stops reading early answers by its exit code
        child.on('close', (code) => {
          clearTimeout(timer);
          if (code === 0) resolve({ clean: true });
          else if (code === 1) resolve({ clean: false, threat: output.trim().split('\n')[0] || 'found' });
          else reject(new Error(`virus scanner ${command} failed (exit ${code}): ${output.trim().slice(0, 200)}`));
        });
        child.stdin.end(Buffer.from(file.bytes));
      }),
  };
}
