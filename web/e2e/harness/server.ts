// The real `cobrowse` binary as a child process, one per Playwright worker: a temporary data
// directory, `serve` on port 0 (the port is read from the "listening" line on stdout), agents
// created with the CLI while it serves. Everything the processes write is kept in a `ProcessLog`
// so a failing test can show it.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file is web/e2e/harness/server.ts). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The server binary: `COBROWSE_BIN`, else the debug build of the workspace. */
export const cobrowseBin = process.env.COBROWSE_BIN ?? path.join(repoRoot, 'target/debug/cobrowse');

/** Lines written by child processes, in order, tagged with their process and stream. */
export class ProcessLog {
  readonly lines: string[] = [];
  private listeners: Array<(line: string) => void> = [];

  attach(child: ChildProcess, label: string): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      let partial = '';
      child[stream]?.setEncoding('utf8');
      child[stream]?.on('data', (chunk: string) => {
        const parts = (partial + chunk).split('\n');
        partial = parts.pop() ?? '';
        for (const line of parts) this.push(`[${label} ${stream}] `, line);
      });
      child[stream]?.on('end', () => {
        if (partial) this.push(`[${label} ${stream}] `, partial);
      });
    }
  }

  /** Calls `listener` for every complete line from now on; returns the unsubscribe function. */
  onLine(listener: (line: string) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** The log from line `from` on, as text. */
  since(from: number): string {
    return this.lines.slice(from).join('\n');
  }

  private push(tag: string, line: string): void {
    this.lines.push(tag + line);
    for (const listener of this.listeners) listener(line);
  }
}

export interface AgentAccount {
  username: string;
  password: string;
}

export interface CobrowseServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  origin: string;
  /** The SDK's base URL, as a page configures it: `http://127.0.0.1:PORT/cobrowse/`. */
  cobrowseUrl: string;
  /** Creates an agent with a random name and password through the CLI, while the server runs. */
  addAgent(): Promise<AgentAccount>;
  /** Creates an administrator (role `admin`) the same way. */
  addAdmin(): Promise<AgentAccount>;
  /** Creates an API key through the CLI (`cobrowse apikey create`) and returns the key. */
  createApiKey(): Promise<string>;
  /** The server's data directory (its SQLite database lives there). */
  dataDir: string;
  log: ProcessLog;
  stop(): Promise<void>;
}

/**
 * Runs `cobrowse ARGS` to completion, writing `stdin` to it; rejects on a non-zero exit. Resolves
 * with what it printed on stdout.
 */
async function runCli(args: string[], stdin: string, log: ProcessLog): Promise<string> {
  const from = log.lines.length;
  const child = spawn(cobrowseBin, args, { stdio: ['pipe', 'pipe', 'pipe'], env: serverEnv() });
  log.attach(child, args.slice(0, 2).join(' '));
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  // A command that does not read its input may exit before the write: EPIPE then, harmless (its
  // exit code still tells). Unhandled, the stream's error would fail the calling test.
  child.stdin.on('error', () => {});
  child.stdin.end(stdin);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  });
  if (code !== 0) {
    throw new Error(`cobrowse ${args.join(' ')} exited with ${code}:\n${log.since(from)}`);
  }
  return stdout;
}

function serverEnv(): NodeJS.ProcessEnv {
  // Debug logs of our own crates help explain a failing test; the log only prints on failure.
  return { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'info,cobrowse=debug,cobrowse_server=debug' };
}

/** How long the binary may take to print its "listening" line (a cold debug build is slow). */
const STARTUP_TIMEOUT_MS = 30_000;
/** How long a SIGTERM'd server may take to shut down gracefully before it is killed. */
const SHUTDOWN_TIMEOUT_MS = 5_000;

export async function startCobrowseServer(allowedOrigins: string[]): Promise<CobrowseServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cobrowse-e2e-'));
  const log = new ProcessLog();
  const addUser = async (role: 'agent' | 'admin'): Promise<AgentAccount> => {
    const user: AgentAccount = {
      username: `${role}-${randomBytes(4).toString('hex')}`,
      password: randomBytes(18).toString('base64url'),
    };
    await runCli(
      ['user', 'add', user.username, '--role', role, '--password-stdin', '--data-dir', dataDir],
      `${user.password}\n`,
      log,
    );
    return user;
  };
  const addAgent = (): Promise<AgentAccount> => addUser('agent');
  const addAdmin = (): Promise<AgentAccount> => addUser('admin');
  const createApiKey = async (): Promise<string> => {
    const out = await runCli(['apikey', 'create', `key-${randomBytes(4).toString('hex')}`, '--data-dir', dataDir], '', log);
    const match = /^key: (\S+)$/m.exec(out);
    if (!match?.[1]) throw new Error(`cobrowse apikey create printed no key:\n${out}`);
    return match[1];
  };

  // The test sites run on loopback ports: the resource proxy may fetch from them.
  const args = ['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--proxy-allow-private'];
  for (const origin of allowedOrigins) args.push('--allowed-origin', origin);
  const child = spawn(cobrowseBin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: serverEnv() });
  log.attach(child, 'serve');
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // A worker that dies without tearing down must not leave its server running.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), SHUTDOWN_TIMEOUT_MS);
      });
      if ((await Promise.race([exited, timeout])) === 'timeout') {
        log.lines.push(`[harness] server did not stop within ${SHUTDOWN_TIMEOUT_MS} ms, killing it`);
        child.kill('SIGKILL');
        await exited;
      }
      clearTimeout(timer);
    }
    process.removeListener('exit', killOnExit);
    await rm(dataDir, { recursive: true, force: true });
  };

  let origin: string;
  try {
    origin = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "listening" line within ${STARTUP_TIMEOUT_MS} ms`)),
        STARTUP_TIMEOUT_MS,
      );
      const off = log.onLine((line) => {
        const match = /cobrowse listening on (http:\/\/[^\s/]+)/.exec(line);
        if (match?.[1]) {
          clearTimeout(timer);
          off();
          resolve(match[1]);
        }
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`the server exited with ${code} before listening`));
      });
    });
  } catch (error) {
    await stop();
    throw new Error(`${cobrowseBin} ${args.join(' ')}: ${String(error)}\n${log.since(0)}`);
  }

  return { origin, cobrowseUrl: `${origin}/cobrowse/`, addAgent, addAdmin, createApiKey, dataDir, log, stop };
}
