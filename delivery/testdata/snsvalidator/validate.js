// Reads SNS messages, one JSON object a line, from stdin and validates each with the real
// sns-validator package, trusting certificates whose URL's host matches argv[2] (a regular
// expression). Prints "ok <MessageId>" or "error <MessageId> <reason>" a line, in order.
'use strict';
const MessageValidator = require('sns-validator');
const readline = require('readline');

const validator = new MessageValidator(new RegExp(process.argv[2]));
const lines = [];
readline.createInterface({ input: process.stdin }).on('line', (l) => { if (l.trim()) lines.push(l); }).on('close', next);

function next() {
  const line = lines.shift();
  if (line === undefined) return;
  const id = JSON.parse(line).MessageId;
  validator.validate(line, (err) => {
    console.log(err ? `error ${id} ${err.message}` : `ok ${id}`);
    next();
  });
}
