// SPDX-License-Identifier: Apache-2.0
// Checks CycloneDX JSON documents against the schema of their specVersion
// with the official CycloneDX JavaScript library (strict JSON validator).
// The library comes from scripts/npm-deps.sh, in $MINT_NODE_MODULES
// (default build-npm/node_modules).
//
// usage: node cdx_validate.js DOC.cdx.json...
// Exits 0 when all are valid, 1 when one is not, 77 (skipped) when the
// library or its validator packages are not installed.
'use strict';
const fs = require('fs');
const path = require('path');

const modules = process.env.MINT_NODE_MODULES ||
	path.join(__dirname, '..', 'build-npm', 'node_modules');

function load() {
	try {
		return require(path.join(modules, '@cyclonedx', 'cyclonedx-library'));
	} catch (e) {
		return null;
	}
}

async function check(lib, file) {
	const text = fs.readFileSync(file, 'utf8');
	const version = JSON.parse(text).specVersion;
	const validator = new lib.Validation.JsonStrictValidator(version);
	const errors = await validator.validate(text);
	if (errors === null) {
		console.log(`${file}: valid CycloneDX ${version}`);
		return true;
	}
	console.log(`${file}: INVALID ${JSON.stringify(errors, null, 1)}`);
	return false;
}

(async () => {
	const lib = load();
	if (!lib) {
		console.log(`skipped: @cyclonedx/cyclonedx-library is not in ${modules} ` +
			'(scripts/npm-deps.sh installs it)');
		process.exit(77);
	}
	let ok = true;
	for (const file of process.argv.slice(2)) {
		try {
			ok = (await check(lib, file)) && ok;
		} catch (e) {
			if (e instanceof lib.Validation.MissingOptionalDependencyError) {
				console.log(`skipped: ${e.message}`);
				process.exit(77);
			}
			throw e;
		}
	}
	process.exit(ok ? 0 : 1);
})().catch((e) => {
	console.error(`cdx_validate: ${e.message}`);
	process.exit(1);
});
