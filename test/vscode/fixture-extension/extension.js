// Throwaway fixture extension for the code-server harness self-test.
// It registers one command and returns a tiny API from activate().
'use strict';
const vscode = require('vscode');

function activate(context) {
  context.subscriptions.push(vscode.commands.registerCommand('krlFixture.ping', () => 'pong'));
  return { hello: () => 'fixture-ok' };
}

function deactivate() {}

module.exports = { activate, deactivate };
