/** Bundle entry of `server/dist/server.js`, the server the VS Code extension starts. */
import { runLanguageServer } from './main';

runLanguageServer();
