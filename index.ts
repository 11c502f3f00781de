export { Nexudus } from './nodes/Nexudus/Nexudus.node';
export { NexudusOAuth2Api } from './credentials/NexudusOAuth2Api.credentials';
