// `npm run keys`: prints a fresh set of the keys that the gateway and the subgraphs share, as
// environment lines for an env file (docker compose reads .env.keys). Keep the output secret.
import { generateKeyPairSync } from 'node:crypto';

const ecKeyPair = () =>
  generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });

const quote = (pem) => JSON.stringify(pem.trim());
const identity = ecKeyPair();
const access = ecKeyPair();
// Each service that produces events signs them with a key of its own.
const producers = ['registration', 'module', 'payment'];
const eventKeys = Object.fromEntries(producers.map((service) => [service, ecKeyPair()]));
const publicKeys = Object.fromEntries(
  producers.map((service) => [service, eventKeys[service].publicKey]),
);
process.stdout.write(
  [
    `GATEWAY_IDENTITY_PRIVATE_KEY=${quote(identity.privateKey)}`,
    `GATEWAY_IDENTITY_PUBLIC_KEY=${quote(identity.publicKey)}`,
    `ACCESS_TOKEN_SIGNING_KEY=${quote(access.privateKey)}`,
    `ACCESS_TOKEN_KEY_ID=access-${new Date().toISOString().slice(0, 10)}`,
    ...producers.map(
      (service) =>
        `EVENT_SIGNING_KEY_${service.toUpperCase()}=${quote(eventKeys[service].privateKey)}`,
    ),
    `EVENT_PUBLIC_KEYS=${JSON.stringify(JSON.stringify(publicKeys))}`,
    '',
  ].join('\n'),
);
