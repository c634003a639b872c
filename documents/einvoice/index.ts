// E-invoices (数电发票): the provider interface the payment side calls, and the local provider behind it until a
// platform provider exists.
export type { EInvoiceProvider, Seller } from './provider.js';
export { UnknownInvoiceError } from './provider.js';
export { createLocalProvider, type LocalProvider, type LocalProviderOptions } from './local-provider.js';
export { escapeXml } from './invoice-xml.js';
