/** A virus scan's answer about one file. */
export type ScanVerdict = { clean: true } | { clean: false; threat: string };

/**
 * The hook every upload passes before it is stored: a refusal stores nothing. The default scans nothing; a
 * utility with a scanner configures one (documents/cases/command-scanner.ts runs e.g. `clamdscan -`).
 */
export interface VirusScanner {
  scan(file: { fileName: string; bytes: Uint8Array }): Promise<ScanVerdict>;
}

export const noScan: VirusScanner = { scan: async () => ({ clean: true }) };
