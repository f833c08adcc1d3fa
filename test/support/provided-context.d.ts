/** What the Node globalSetup hands to the Workers tests (vitest `provide`/`inject`). */
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    standIns: { baseUrl: string; refusedUrl: string; tcpOpen: string; tcpRefused: string };
    sim: { url: string; controlToken: string };
  }
}
