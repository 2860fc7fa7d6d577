#!/usr/bin/env node
// Validate SARIF files against the SARIF 2.1.0 schema (JSON Schema draft-07) with ajv.
// Usage: node validate-sarif.js NODE_MODULES SCHEMA FILE...
// Prints every error with the instance path; exits 1 when any file is invalid, 2 on misuse.
'use strict';
const path = require('path');
const fs = require('fs');
if (process.argv.length < 5) {
	console.error('usage: validate-sarif.js NODE_MODULES SCHEMA FILE...');
	process.exit(2);
}
const modules = process.argv[2];
const Ajv = require(path.join(modules, 'ajv')).default;
const addFormats = require(path.join(modules, 'ajv-formats')).default;
const ajv = new Ajv({allErrors: true, strict: false});
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(process.argv[3], 'utf8')));
let bad = 0;
for (const file of process.argv.slice(4)) {
	const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
	if (validate(doc)) {
		console.log(`${file}: valid`);
		continue;
	}
	bad++;
	for (const e of validate.errors)
		console.log(`${file}: ${e.instancePath || '/'}: ${e.message} ${JSON.stringify(e.params)}`);
}
process.exit(bad ? 1 : 0);
