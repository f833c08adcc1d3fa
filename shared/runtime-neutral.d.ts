/**
 * The few WinterCG globals shared/ may use, identical in Node >= 20, workerd and browsers.
 * Declared by hand so shared/ can be type-checked with no DOM, Workers or Node types at all.
 */
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
interface CryptoKey {
  readonly type: string;
}
interface SubtleCrypto {
  importKey(
    format: 'raw',
    keyData: Uint8Array,
    algorithm: { name: 'HMAC'; hash: 'SHA-256' },
    extractable: boolean,
    keyUsages: ReadonlyArray<'sign' | 'verify'>,
  ): Promise<CryptoKey>;
  sign(algorithm: 'HMAC', key: CryptoKey, data: Uint8Array): Promise<ArrayBuffer>;
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
}
declare const crypto: {
  readonly subtle: SubtleCrypto;
  randomUUID(): string;
  getRandomValues<T extends Uint8Array>(array: T): T;
};
