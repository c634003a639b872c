import { commandScanner } from './command-scanner.js';

const file = { fileName: 'a.pdf', bytes: Buffer.from('%PDF-1.7\n') };

// `sh -c` stands in for clamdscan: it reads the file on stdin and answers by its exit code.
test('exit 0 is clean, exit 1 names the threat, anything else refuses as an error', async () => {
  expect(await commandScanner('sh', ['-c', 'cat >/dev/null; exit 0']).scan(file)).toEqual({ clean: true });
  expect(
    await commandScanner('sh', ['-c', 'cat >/dev/null; echo "stream: Eicar-Signature FOUND"; exit 1']).scan(file),
  ).toEqual({ clean: false, threat: 'stream: Eicar-Signature FOUND' });
  await expect(commandScanner('sh', ['-c', 'echo no daemon >&2; exit 2']).scan(file)).rejects.toThrow(
    /failed \(exit 2\): no daemon/,
  );
  await expect(commandScanner('/nonexistent/scanner').scan(file)).rejects.toThrow();
});

test('the scanner reads the bytes it is given', async () => {
  // refuses a file whose content starts with %PDF, so the verdict depends on what arrived on stdin
  const scanner = commandScanner('sh', ['-c', 'head -c 4 | grep -q "%PDF" && { echo pdf; exit 1; } || exit 0']);
  expect(await scanner.scan(file)).toEqual({ clean: false, threat: 'pdf' });
  expect(await scanner.scan({ fileName: 'b.png', bytes: Buffer.from([0x89, 0x50]) })).toEqual({ clean: true });
});
