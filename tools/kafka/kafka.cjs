#!/usr/bin/env node
'use strict';
/*
 * Local Apache Kafka for development and tests: a single KRaft node on 127.0.0.1.
 *
 *   node tools/kafka/kafka.cjs start    resolve the broker's jars with Maven (once), format storage, start, wait
 *   node tools/kafka/kafka.cjs stop     stop the broker this launcher started on the port
 *   node tools/kafka/kafka.cjs status   say whether a broker answers on the port
 *
 * Where KAFKA_BROKERS is set, nothing is launched: that cluster is used as it is.
 * Settings (environment): KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (KAFKA_PORT + 1),
 * LEDGERLINE_CACHE (~/.cache/ledgerline) for the jars and the broker's data,
 * KAFKA_MAVEN_REPO (a separate Maven local repository, for a launch from nothing),
 * KAFKA_HEAP (512m).
 *
 * KAFKA_SASL_PORT adds a SASL_PLAINTEXT listener on that port (PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512, for
 * trying the services' KAFKA_SASL_* settings) with one user, KAFKA_SASL_LOCAL_USER / KAFKA_SASL_LOCAL_PASSWORD
 * (ledgerline / ledgerline-local-password). SCRAM credentials live in the KRaft metadata and are written when
 * storage is formatted, so such a node keeps its own data directory. Without it the broker is as before.
 *
 * KAFKA_SSL_PORT adds a TLS listener (SSL, server authentication only) on that port, for trying the services'
 * KAFKA_SSL / KAFKA_SSL_CA_FILE settings. A throw-away CA and a certificate for 127.0.0.1 are made with openssl at
 * start, in <node's directory>/tls: ca.crt is the file to give KAFKA_SSL_CA_FILE. Without it, nothing changes.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');

const POM = path.join(__dirname, 'pom.xml');
const KAFKA_VERSION = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(fs.readFileSync(POM, 'utf8'))[1];

class LauncherError extends Error {}

function settings(env = process.env) {
  const port = parsePort('KAFKA_PORT', env.KAFKA_PORT ?? '9092');
  const controllerPort = parsePort('KAFKA_CONTROLLER_PORT', env.KAFKA_CONTROLLER_PORT ?? String(port + 1));
  const cache = path.resolve(env.LEDGERLINE_CACHE ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'ledgerline'));
  const heap = env.KAFKA_HEAP ?? '512m';
  if (!/^\d+[mg]$/i.test(heap)) throw new LauncherError(`KAFKA_HEAP must look like 512m or 1g, got "${heap}"`);
  const sasl = env.KAFKA_SASL_PORT ? saslSettings(env, port, controllerPort) : undefined;
  const sslPort = env.KAFKA_SSL_PORT ? parsePort('KAFKA_SSL_PORT', env.KAFKA_SSL_PORT) : undefined;
  if (sslPort !== undefined && [port, controllerPort, sasl?.port].includes(sslPort)) {
    throw new LauncherError(`KAFKA_SSL_PORT must differ from KAFKA_PORT, KAFKA_CONTROLLER_PORT and KAFKA_SASL_PORT, got ${sslPort}`);
  }
  const runDir = path.join(cache, 'kafka', sasl ? `node-${port}-sasl-${sasl.port}` : `node-${port}`);
  return {
    port,
    controllerPort,
    heap,
    sasl,
    ssl: sslPort === undefined ? undefined : { port: sslPort, dir: path.join(runDir, 'tls') },
    mavenRepo: env.KAFKA_MAVEN_REPO,
    libs: path.join(cache, 'kafka', KAFKA_VERSION, 'libs'),
    runDir,
  };
}

/** The optional SASL listener: its port and its one user. */
function saslSettings(env, port, controllerPort) {
  const saslPort = parsePort('KAFKA_SASL_PORT', env.KAFKA_SASL_PORT);
  if (saslPort === port || saslPort === controllerPort) throw new LauncherError(`KAFKA_SASL_PORT must differ from KAFKA_PORT and KAFKA_CONTROLLER_PORT, got ${saslPort}`);
  const username = env.KAFKA_SASL_LOCAL_USER ?? 'ledgerline';
  const password = env.KAFKA_SASL_LOCAL_PASSWORD ?? 'ledgerline-local-password';
  // Kept out of the JAAS and --add-scram syntax, which have no escaping the launcher could rely on.
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(username)) throw new LauncherError('KAFKA_SASL_LOCAL_USER must be 1-64 letters, digits, . _ -');
  if (!/^[A-Za-z0-9._~!@#%^*+-]{8,128}$/.test(password)) throw new LauncherError('KAFKA_SASL_LOCAL_PASSWORD must be 8-128 characters without spaces, quotes, commas, = [ ] or \\');
  return { port: saslPort, username, password };
}

function parsePort(name, value) {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new LauncherError(`${name} must be a port number between 1 and 65535, got "${value}"`);
  }
  return port;
}

function log(message) {
  process.stderr.write(`[kafka] ${message}\n`);
}

/** Copies kafka_2.13 and its runtime dependencies into the cache, once per version. */
function resolveJars(s) {
  const marker = path.join(s.libs, '.complete');
  if (fs.existsSync(marker)) return;
  log(`resolving Apache Kafka ${KAFKA_VERSION} with Maven into ${s.libs}`);
  fs.rmSync(s.libs, { recursive: true, force: true });
  fs.mkdirSync(s.libs, { recursive: true });
  const args = ['-q', '-B', '-Dstyle.color=never', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${s.libs}`, '-DincludeScope=runtime'];
  if (s.mavenRepo) args.push(`-Dmaven.repo.local=${s.mavenRepo}`);
  // Maven's output goes to stderr: stdout carries only the broker address, for scripts.
  const result = spawnSync('mvn', args, { stdio: ['ignore', 2, 2] });
  if (result.error) throw new LauncherError(`cannot run Maven (mvn): ${result.error.message}`);
  if (result.status !== 0) throw new LauncherError(`Maven could not resolve the Kafka broker (exit ${result.status})`);
  fs.writeFileSync(marker, new Date().toISOString());
}

/** The SASL_PLAINTEXT listener's settings; PLAIN's user is in its JAAS line, SCRAM's in the metadata (formatStorage). */
function saslProperties(sasl) {
  if (!sasl) return [];
  const scram = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  return [
    'sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
    `listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_${sasl.username}="${sasl.password}";`,
    `listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=${scram}`,
    `listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=${scram}`,
  ];
}

/** The TLS listener's settings: the broker's key and certificate chain as one PEM file (made by makeCertificates). */
function sslProperties(ssl) {
  if (!ssl) return [];
  return ['listener.name.ssl.ssl.keystore.type=PEM', `listener.name.ssl.ssl.keystore.location=${path.join(ssl.dir, 'broker.pem')}`, 'listener.name.ssl.ssl.client.auth=none'];
}

/**
 * A new CA and a broker certificate for 127.0.0.1 signed by it, every start (they are test credentials; the CA's key
 * is thrown away). ca.crt is what clients trust.
 */
function makeCertificates(ssl) {
  fs.rmSync(ssl.dir, { recursive: true, force: true });
  fs.mkdirSync(ssl.dir, { recursive: true });
  const file = (name) => path.join(ssl.dir, name);
  const run = (args) => {
    const result = spawnSync('openssl', args, { encoding: 'utf8' });
    if (result.error) throw new LauncherError(`cannot run openssl (needed for KAFKA_SSL_PORT): ${result.error.message}`);
    if (result.status !== 0) throw new LauncherError(`openssl ${args[0]} failed: ${result.stderr}`);
  };
  fs.writeFileSync(file('broker.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', '/CN=Ledgerline local Kafka CA', '-keyout', file('ca.key'), '-out', file('ca.crt')]);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', file('broker.key'), '-out', file('broker.csr')]);
  run(['x509', '-req', '-in', file('broker.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '30', '-extfile', file('broker.ext'), '-out', file('broker.crt')]);
  // Kafka's PEM key store wants an unencrypted PKCS#8 key followed by the certificate chain.
  run(['pkcs8', '-topk8', '-nocrypt', '-in', file('broker.key'), '-out', file('broker.pk8')]);
  fs.writeFileSync(file('broker.pem'), fs.readFileSync(file('broker.pk8'), 'utf8') + fs.readFileSync(file('broker.crt'), 'utf8') + fs.readFileSync(file('ca.crt'), 'utf8'));
  for (const name of ['ca.key', 'ca.srl', 'broker.key', 'broker.csr', 'broker.pk8', 'broker.ext']) fs.rmSync(file(name), { force: true });
}

function serverProperties(s) {
  const saslListener = (s.sasl ? `,SASL_PLAINTEXT://127.0.0.1:${s.sasl.port}` : '') + (s.ssl ? `,SSL://127.0.0.1:${s.ssl.port}` : '');
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${s.controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${s.port},CONTROLLER://127.0.0.1:${s.controllerPort}${saslListener}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${s.port}${saslListener}`,
    `listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT${s.sasl ? ',SASL_PLAINTEXT:SASL_PLAINTEXT' : ''}${s.ssl ? ',SSL:SSL' : ''}`,
    ...saslProperties(s.sasl),
    ...sslProperties(s.ssl),
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${path.join(s.runDir, 'data')}`,
    'num.partitions=3',
    'auto.create.topics.enable=true',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'log.retention.hours=24',
    '',
  ].join('\n');
}

const LOG4J = [
  'log4j.rootLogger=WARN, file',
  'log4j.logger.kafka.server.KafkaServer=INFO',
  'log4j.logger.kafka.server.KafkaRaftServer=INFO',
  'log4j.appender.file=org.apache.log4j.FileAppender',
  'log4j.appender.file.File=${kafka.logs.dir}/broker.log',
  'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
  'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
  '',
].join('\n');

function java(s, mainClass, args, options) {
  return [
    `-Xmx${s.heap}`,
    `-Xms${s.heap}`,
    `-Dlog4j.configuration=file:${path.join(s.runDir, 'log4j.properties')}`,
    `-Dkafka.logs.dir=${s.runDir}`,
    '-cp',
    path.join(s.libs, '*'),
    mainClass,
    ...args,
  ].concat(options ?? []);
}

/**
 * A random cluster id: 16 bytes in base64url, as Kafka's own. Like Kafka, never one that starts with '-',
 * which the storage tool's argument parser would take for an option.
 */
function newClusterId(random = crypto.randomBytes) {
  for (;;) {
    const id = random(16).toString('base64url').slice(0, 22);
    if (!id.startsWith('-')) return id;
  }
}

/** Prepares KRaft storage the first time this port's node runs. */
function formatStorage(s) {
  fs.mkdirSync(s.runDir, { recursive: true });
  const props = path.join(s.runDir, 'server.properties');
  fs.writeFileSync(props, serverProperties(s));
  fs.writeFileSync(path.join(s.runDir, 'log4j.properties'), LOG4J);
  // SCRAM users are written into the metadata only when formatting: other credentials mean a fresh node.
  const users = path.join(s.runDir, 'sasl-users.sha256');
  const wantedUsers = s.sasl ? crypto.createHash('sha256').update(`${s.sasl.username}\n${s.sasl.password}`).digest('hex') : undefined;
  if (wantedUsers && fs.existsSync(users) && fs.readFileSync(users, 'utf8') !== wantedUsers) {
    log(`the SASL user changed: formatting ${s.runDir} afresh`);
    fs.rmSync(path.join(s.runDir, 'data'), { recursive: true, force: true });
  }
  if (fs.existsSync(path.join(s.runDir, 'data', 'meta.properties'))) return props;
  const clusterId = newClusterId();
  const scram = s.sasl
    ? ['SCRAM-SHA-256', 'SCRAM-SHA-512'].flatMap((mechanism) => ['--add-scram', `${mechanism}=[name=${s.sasl.username},password=${s.sasl.password}]`])
    : [];
  const result = spawnSync('java', java(s, 'kafka.tools.StorageTool', ['format', '-t', clusterId, '-c', props, ...scram]), {
    encoding: 'utf8',
  });
  if (result.error) throw new LauncherError(`cannot run java: ${result.error.message}`);
  if (result.status !== 0) throw new LauncherError(`formatting KRaft storage failed: ${result.stderr || result.stdout}`);
  if (wantedUsers) fs.writeFileSync(users, wantedUsers);
  return props;
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
function portOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** True when a Kafka broker answers a metadata request on the port within about `timeoutMs`. */
async function brokerAnswers(port, timeoutMs = 3000) {
  if (!(await portOpen(port))) return false;
  const { Kafka, logLevel } = require('kafkajs');
  const admin = new Kafka({
    clientId: 'ledgerline-kafka-launcher',
    brokers: [`127.0.0.1:${port}`],
    logLevel: logLevel.NOTHING,
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  }).admin();
  // A listener that accepts connections but never answers (a broker stuck half-way through start-up or
  // shutdown) must not hold the caller: the answer is "no" once the time is up.
  let timer;
  const expired = new Promise((resolve) => (timer = setTimeout(resolve, 2 * timeoutMs + 500)));
  const asked = (async () => {
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return cluster.brokers.length > 0;
    } catch {
      return false;
    }
  })();
  const answered = await Promise.race([asked.then((up) => ({ up })), expired.then(() => undefined)]);
  clearTimeout(timer);
  if (answered) {
    await admin.disconnect().catch(() => undefined);
    return answered.up;
  }
  void admin.disconnect().catch(() => undefined);
  return false;
}

function readPid(s) {
  try {
    const pid = Number(fs.readFileSync(path.join(s.runDir, 'broker.pid'), 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const BROKER_OUTPUT = ['broker.out', 'broker.log'];

/** Where each of the broker's output files ends now, so a start reads only what it wrote itself. */
function outputMarks(s) {
  return BROKER_OUTPUT.map((file) => {
    try {
      return fs.statSync(path.join(s.runDir, file)).size;
    } catch {
      return 0;
    }
  });
}

/** The lines the broker wrote since `marks`, from each of its output files in turn. */
function outputSince(s, marks) {
  return BROKER_OUTPUT.flatMap((file, i) => {
    let text = '';
    try {
      const fd = fs.openSync(path.join(s.runDir, file), 'r');
      try {
        const length = Math.max(0, fs.fstatSync(fd).size - marks[i]);
        const buffer = Buffer.alloc(Math.min(length, 1 << 20));
        fs.readSync(fd, buffer, 0, buffer.length, marks[i]);
        text = buffer.toString('utf8');
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      return [];
    }
    return text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
  });
}

/** The error lines the broker wrote since `marks` (a port already in use, say). */
function startupErrors(s, marks) {
  return outputSince(s, marks).filter((line) => /ERROR|FATAL|Exception|already in use/.test(line));
}

/** A broker that logged a fatal start-up error (it may still be shutting down, or hang doing so). */
const FATAL_START = /Fatal error during|Exiting Kafka|BindException|Address already in use/;

/** A failure that fresh storage cannot cure. */
const FREE_PORT_NEEDED = /BindException|Address already in use/;

function startupFailure(errors) {
  return errors.length > 0 ? `: ${errors.slice(-3).join(' | ')}` : '';
}

/**
 * Makes a broker available and returns its bootstrap address (and `saslBrokers`, the SASL listener's, with KAFKA_SASL_PORT).
 * `started` says whether this call launched it (false when KAFKA_BROKERS is set or one was already running).
 */
async function start(env = process.env, { timeoutMs = 120_000 } = {}) {
  if (env.KAFKA_BROKERS) return { brokers: env.KAFKA_BROKERS, started: false };
  const s = settings(env);
  const { brokers, saslBrokers, sslBrokers } = addresses(s);
  const answer = (started) => ({ brokers, started, ...(saslBrokers ? { saslBrokers } : {}), ...(sslBrokers ? { sslBrokers, sslCaFile: path.join(s.ssl.dir, 'ca.crt') } : {}) });
  if (await brokerAnswers(s.port)) {
    if (s.sasl && !(await portOpen(s.sasl.port))) {
      throw new LauncherError(`a broker without the SASL listener already answers on ${brokers}: stop it (kafka.cjs stop) or choose another KAFKA_PORT`);
    }
    if (s.ssl && !(await portOpen(s.ssl.port))) {
      throw new LauncherError(`a broker without the TLS listener already answers on ${brokers}: stop it (kafka.cjs stop) or choose another KAFKA_PORT`);
    }
    log(`a broker already answers on ${brokers}; reusing it`);
    return answer(false);
  }
  if (await portOpen(s.port)) throw new LauncherError(`port ${s.port} is taken by something that is not a Kafka broker`);
  if (s.sasl && (await portOpen(s.sasl.port))) throw new LauncherError(`KAFKA_SASL_PORT ${s.sasl.port} is taken`);
  if (s.ssl && (await portOpen(s.ssl.port))) throw new LauncherError(`KAFKA_SSL_PORT ${s.ssl.port} is taken`);
  resolveJars(s);
  if (s.ssl) makeCertificates(s.ssl);
  const hadData = fs.existsSync(path.join(s.runDir, 'data', 'meta.properties'));
  const launched = await launch(s, timeoutMs);
  if (launched.ready) return answer(true);
  if (!hadData || FREE_PORT_NEEDED.test(launched.failure)) throw new LauncherError(launched.failure);
  // A node's data is the launcher's own, for development and tests: a node that cannot come back on what an
  // earlier run left behind starts again from empty storage, once, rather than failing the run.
  log(`${launched.failure}; this was on the data an earlier run left in ${path.join(s.runDir, 'data')}: starting again on fresh storage`);
  fs.rmSync(path.join(s.runDir, 'data'), { recursive: true, force: true });
  const again = await launch(s, timeoutMs);
  if (again.ready) return answer(true);
  throw new LauncherError(`${again.failure} (on fresh storage too)`);
}

/**
 * Formats storage where needed, starts the broker and waits up to `timeoutMs` for every listener.
 * A broker that logs a fatal error or exits fails at once; one that is still silent at the deadline is killed.
 * `failure` says which, with the broker's last words.
 */
async function launch(s, timeoutMs) {
  const props = formatStorage(s);
  const marks = outputMarks(s);
  const out = fs.openSync(path.join(s.runDir, 'broker.out'), 'a');
  const child = spawn('java', java(s, 'kafka.Kafka', [props]), { detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  fs.writeFileSync(path.join(s.runDir, 'broker.pid'), String(child.pid));
  child.unref();
  const { brokers, saslBrokers, sslBrokers } = addresses(s);
  log(
    `starting Kafka ${KAFKA_VERSION} (pid ${child.pid}) on ${brokers}${saslBrokers ? `, SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) on ${saslBrokers} for user "${s.sasl.username}"` : ''}${sslBrokers ? `, TLS on ${sslBrokers} (CA: ${path.join(s.ssl.dir, 'ca.crt')})` : ''}`,
  );
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const errors = startupErrors(s, marks);
    if (!alive(child.pid) || errors.some((line) => FATAL_START.test(line))) {
      await killed(s, child.pid);
      return { ready: false, failure: `the broker failed to start${startupFailure(errors)}; see ${path.join(s.runDir, 'broker.out')} and broker.log` };
    }
    if ((await brokerAnswers(s.port, 1000)) && (!s.sasl || (await portOpen(s.sasl.port))) && (!s.ssl || (await portOpen(s.ssl.port)))) {
      log(`ready on ${brokers}`);
      return { ready: true };
    }
    await sleep(300);
  }
  await killed(s, child.pid);
  const lines = outputSince(s, marks).slice(-5);
  const tail = lines.length > 0 ? `; its last lines: ${lines.join(' | ')}` : '; it wrote nothing';
  return { ready: false, failure: `the broker did not answer on ${addresses(s).brokers} within ${timeoutMs / 1000}s${tail}` };
}

/** The bootstrap addresses of a node with these settings: the plain listener's, and the SASL and TLS ones where set. */
function addresses(s) {
  return {
    brokers: `127.0.0.1:${s.port}`,
    saslBrokers: s.sasl ? `127.0.0.1:${s.sasl.port}` : undefined,
    sslBrokers: s.ssl ? `127.0.0.1:${s.ssl.port}` : undefined,
  };
}

const KILL_WAIT_MS = 10_000;

async function killed(s, pid) {
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  const deadline = Date.now() + KILL_WAIT_MS;
  while (alive(pid)) {
    if (Date.now() > deadline) throw new LauncherError(`broker ${pid} was sent SIGKILL and is still running after ${KILL_WAIT_MS / 1000}s`);
    await sleep(100);
  }
  fs.rmSync(path.join(s.runDir, 'broker.pid'), { force: true });
}

/** Stops the broker this launcher started on the port; returns false when there was none. */
async function stop(env = process.env, { timeoutMs = 60_000 } = {}) {
  if (env.KAFKA_BROKERS) return false;
  const s = settings(env);
  const pid = readPid(s);
  if (!pid || !alive(pid)) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (alive(pid) && Date.now() < deadline) await sleep(200);
  if (alive(pid)) {
    log(`broker ${pid} did not stop within ${timeoutMs / 1000}s; killing it`);
    process.kill(pid, 'SIGKILL');
  }
  fs.rmSync(path.join(s.runDir, 'broker.pid'), { force: true });
  return true;
}

async function main(command) {
  switch (command) {
    case 'start': {
      const { brokers } = await start();
      process.stdout.write(`${brokers}\n`);
      return;
    }
    case 'stop':
      log((await stop()) ? 'stopped' : 'no broker started by this launcher is running');
      return;
    case 'status': {
      const s = settings();
      const up = process.env.KAFKA_BROKERS ? true : await brokerAnswers(s.port);
      process.stdout.write(up ? `up ${process.env.KAFKA_BROKERS ?? `127.0.0.1:${s.port}`}\n` : 'down\n');
      process.exitCode = up ? 0 : 1;
      return;
    }
    default:
      throw new LauncherError(`unknown command "${command ?? ''}": use start, stop or status`);
  }
}

module.exports = { start, stop, brokerAnswers, settings, serverProperties, newClusterId, KAFKA_VERSION, LauncherError };

if (require.main === module) {
  main(process.argv[2]).then(
    // Exit now: a connection to a broker that never answered may still be open.
    () => process.exit(process.exitCode ?? 0),
    (error) => {
      log(error instanceof LauncherError ? error.message : error.stack);
      process.exit(1);
    },
  );
}
