import { readFileSync, writeFileSync } from 'node:fs';
import {
  type AuditLogger,
  checkProofBundle,
  parsePosition,
  parsePublicKeyText,
  proveConsistency,
  proveEvent,
  Sealer,
  type VerificationReport,
  Verifier,
} from '@smilepay/audit/application';
import type { Command } from '../command';
import type { CliContext } from '../context';
import { EXIT, toJson, UsageError, write } from '../output';

function trustedKeys(ctx: CliContext): string[] {
  const files = ctx.strings('public-key');
  if (files.length === 0) throw new UsageError('pass --public-key <file>: the sealing public key you were given (`audit public-key` prints it)');
  return files.map((file) => {
    try {
      return parsePublicKeyText(readFileSync(ctx.resolvePath(file), 'utf8'));
    } catch (error) {
      throw new UsageError(`--public-key ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'verify hash chains, signed checkpoints, Merkle roots and consistency, offline with the public key',
  usage: 'audit verify --public-key <file> [--public-key <file>...] [--no-consistency] [--max-failures <n>] [--json]',
  options: { 'public-key': { type: 'string', multiple: true }, 'no-consistency': { type: 'boolean' }, 'max-failures': { type: 'string' } },
  async run(ctx) {
    const keys = trustedKeys(ctx);
    const maxFailures = ctx.string('max-failures');
    const bar = ctx.progress('verify');
    const report = await new Verifier(await ctx.eventStore()).verify({
      trustedPublicKeys: keys,
      ledgerName: ctx.ledgerName,
      consistency: !ctx.flag('no-consistency'),
      maxFailures: maxFailures === undefined ? undefined : Number(parsePosition(maxFailures, '--max-failures')),
      onProgress: (p) => {
        if (p.phase === 'events') bar.update(p.done, Math.max(p.done, Number(p.headPosition ?? 0n)), `position ${p.position}`);
        else bar.update(p.done, undefined, p.phase.replace('_', ' '));
      },
    });
    bar.stop();
    await write(ctx.io.out, ctx.json ? `${toJson(report)}\n` : describeVerification(report));
    return report.ok ? EXIT.ok : EXIT.findings;
  },
};

function describeVerification(r: VerificationReport): string {
  const lines = [
    `verified $all up to position ${r.headPosition}: ${r.eventsChecked} events in ${r.streamsChecked} streams (${(r.durationMs / 1000).toFixed(1)} s)`,
    `${r.auditStreamId}: ${r.checkpointsChecked} checkpoints (${r.authenticCheckpoints} authentic), ${r.keyRotations} key rotations; trusted keys ${r.trustedKeyIds.join(', ') || 'none'}`,
    `sealed: ${r.sealedEvents} events up to position ${r.lastSealedPosition ?? '-'}; ${r.unsealedEvents} later events not sealed yet (their chains were checked)`,
    `consistency: ${r.consistency.pairsChecked} checkpoint pairs proven${r.consistency.skipped ? ` (skipped ${r.consistency.skipped})` : ''}`,
    `stored bytes: ${r.storedBytes.checked ? 're-hashed' : `not checked (${r.storedBytes.skipped})`}`,
  ];
  if (r.ok) return `${lines.join('\n')}\nOK: nothing was changed after the fact\n`;
  lines.push(`FAILED: ${r.eventFailures.length}${r.truncated ? '+' : ''} event findings, ${r.checkpointFailures.length} checkpoint findings`);
  for (const f of r.eventFailures) {
    lines.push(`  EVENT ${f.streamId}@${f.revision} position ${f.position ?? '?'}${f.eventId ? ` id ${f.eventId}` : ''}: ${f.reason}: ${f.message}`);
    const c = f.checkpoint;
    lines.push(c ? `        sealed by checkpoint revision ${c.revision} (positions ${c.fromPosition}..${c.toPosition}, at position ${c.position})` : '        not sealed by any checkpoint');
  }
  for (const f of r.checkpointFailures) {
    const range = f.fromPosition === undefined ? '' : ` (positions ${f.fromPosition}..${f.toPosition})`;
    lines.push(`  CHECKPOINT revision ${f.revision} at position ${f.position}${range} ${f.eventType}: ${f.reason}: ${f.message}`);
  }
  return `${lines.join('\n')}\n`;
}

async function writeBundle(ctx: CliContext, bundle: unknown): Promise<void> {
  const file = ctx.string('out');
  if (file === undefined) await write(ctx.io.out, `${toJson(bundle)}\n`);
  else writeFileSync(ctx.resolvePath(file), `${toJson(bundle)}\n`, { flag: 'wx' });
}

export const proveCommand: Command = {
  name: 'prove',
  summary: 'RFC 6962 inclusion proof of one event in a signed checkpoint (JSON, checkable offline)',
  usage: 'audit prove <eventId> [--checkpoint <revision>] [--out <file>]',
  options: { checkpoint: { type: 'string' }, out: { type: 'string' } },
  async run(ctx) {
    const [eventId] = ctx.positionals;
    if (eventId === undefined) throw new UsageError('name the event id');
    const checkpoint = ctx.string('checkpoint');
    const bar = ctx.progress('prove');
    const bundle = await proveEvent(await ctx.eventStore(), eventId, {
      ledgerName: ctx.ledgerName,
      checkpointRevision: checkpoint === undefined ? undefined : parsePosition(checkpoint, '--checkpoint'),
      onProgress: (read, position, target) => bar.update(read, read + Number(target - position)),
    });
    bar.stop();
    await writeBundle(ctx, bundle);
    await write(ctx.io.err, `event ${eventId} is leaf ${bundle.leafIndex} of ${bundle.treeSize}, checkpoint revision ${bundle.checkpoint.revision}\n`);
    return EXIT.ok;
  },
};

export const consistencyCommand: Command = {
  name: 'consistency',
  summary: 'RFC 6962 consistency proof between two checkpoints (by revision in the audit stream)',
  usage: 'audit consistency <olderRevision> <newerRevision> [--out <file>]',
  options: { out: { type: 'string' } },
  async run(ctx) {
    const [older, newer] = ctx.positionals;
    if (older === undefined || newer === undefined) throw new UsageError('give two checkpoint revisions');
    const bundle = await proveConsistency(await ctx.eventStore(), parsePosition(older, 'older revision'), parsePosition(newer, 'newer revision'), {
      ledgerName: ctx.ledgerName,
    });
    await writeBundle(ctx, bundle);
    return EXIT.ok;
  },
};

export const checkProofCommand: Command = {
  name: 'check-proof',
  summary: 'check a proof written by `prove` or `consistency`, with nothing but the public key',
  usage: 'audit check-proof <file> --public-key <file> [--public-key <file>...]',
  options: { 'public-key': { type: 'string', multiple: true } },
  async run(ctx) {
    const [file] = ctx.positionals;
    if (file === undefined) throw new UsageError('name the proof file');
    const keys = trustedKeys(ctx);
    let bundle;
    try {
      bundle = JSON.parse(readFileSync(ctx.resolvePath(file), 'utf8'));
    } catch (error) {
      throw new UsageError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const result = checkProofBundle(bundle, keys);
    await write(ctx.io.out, ctx.json ? `${toJson(result)}\n` : result.ok ? 'OK: the proof holds\n' : `FAILED:\n${result.problems.map((p) => `  ${p}\n`).join('')}`);
    return result.ok ? EXIT.ok : EXIT.findings;
  },
};

const stderrLogger = (ctx: CliContext): AuditLogger => ({
  log: (message) => void ctx.io.err.write(`${new Date().toISOString()} ${message}\n`),
  warn: (message) => void ctx.io.err.write(`${new Date().toISOString()} WARN ${message}\n`),
  error: (message) => void ctx.io.err.write(`${new Date().toISOString()} ERROR ${message}\n`),
});

async function sealerFor(ctx: CliContext): Promise<Sealer> {
  const every = ctx.string('every');
  const everySeconds = ctx.string('every-seconds');
  return new Sealer(await ctx.eventStore(), ctx.keyStore(), {
    ledgerName: ctx.ledgerName,
    everyEvents: every === undefined ? undefined : Number(parsePosition(every, '--every')),
    everySeconds: everySeconds === undefined ? undefined : Number(parsePosition(everySeconds, '--every-seconds')),
    logger: stderrLogger(ctx),
  });
}

export const sealCommand: Command = {
  name: 'seal',
  summary: 'append signed checkpoints over everything not sealed yet (or keep sealing with --watch)',
  usage:
    'audit seal [--every <n>] [--watch [--every-seconds <t>]] [--key-dir <dir>]\n' +
    '  One checkpoint per <n> events (default 10000). The key is generated on first use in the key directory.',
  options: { every: { type: 'string' }, watch: { type: 'boolean' }, 'every-seconds': { type: 'string' } },
  async run(ctx) {
    const sealer = await sealerFor(ctx);
    if (ctx.flag('watch')) return watch(ctx, sealer);
    const bar = ctx.progress('seal');
    const sealed = await sealer.sealPending({ force: true, onProgress: (events) => bar.update(events) });
    bar.stop();
    if (ctx.json) await write(ctx.io.out, `${toJson(sealed)}\n`);
    else if (sealed.length === 0) await write(ctx.io.out, 'nothing to seal\n');
    for (const c of ctx.json ? [] : sealed) {
      await write(ctx.io.out, `checkpoint ${c.revision}: positions ${c.fromPosition}..${c.toPosition}, ${c.eventCount} events, tree ${c.treeSize}, root ${c.merkleRoot}, key ${c.keyId}\n`);
    }
    return EXIT.ok;
  },
};

/** Runs the background sealer until SIGINT or SIGTERM. */
async function watch(ctx: CliContext, sealer: Sealer): Promise<number> {
  await write(ctx.io.err, 'sealing in the background; Ctrl-C to stop\n');
  sealer.start();
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sealer.stop();
  return EXIT.ok;
}

export const rotateKeyCommand: Command = {
  name: 'rotate-key',
  summary: 'replace the sealing key (new key pair in the key directory, AuditKeyRotated in the audit stream)',
  usage: 'audit rotate-key [--key-dir <dir>]',
  options: {},
  async run(ctx) {
    const rotation = await (await sealerFor(ctx)).rotateKey();
    await write(
      ctx.io.out,
      ctx.json
        ? `${toJson(rotation)}\n`
        : `rotated from key ${rotation.oldKeyId} to ${rotation.newKeyId} (audit stream revision ${rotation.revision})\n` +
            `new public key for auditors: ${rotation.newPublicKeyFile}\n`,
    );
    return EXIT.ok;
  },
};

export const publicKeyCommand: Command = {
  name: 'public-key',
  summary: 'print the public key (PEM) that signs the next checkpoint: hand it to auditors',
  usage: 'audit public-key [--key-dir <dir>]',
  options: {},
  async run(ctx) {
    const { keyId, publicKeyPem } = await (await sealerFor(ctx)).activeKey();
    await write(ctx.io.err, `key ${keyId}\n`);
    await write(ctx.io.out, publicKeyPem);
    return EXIT.ok;
  },
};
