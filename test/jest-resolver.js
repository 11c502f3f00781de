// Test files are .cts and import each other as './x.cjs' (TypeScript's node16 rule); point
// those imports at the .cts source. Everything else (node_modules included) resolves as usual.
module.exports = (request, options) => {
	if (/^\.\.?\//.test(request) && request.endsWith('.cjs') && !options.basedir.includes('node_modules')) {
		try {
			return options.defaultResolver(request.replace(/\.cjs$/, '.cts'), options);
		} catch {
			// not a .cts file: a real .cjs
		}
	}
	return options.defaultResolver(request, options);
};
