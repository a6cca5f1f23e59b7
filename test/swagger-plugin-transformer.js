// Runs @nestjs/swagger's CLI plugin under ts-jest with the options nest-cli.json gives it, so
// tests see the same OpenAPI metadata (enums, descriptions) as `nest build`.
const transformer = require('@nestjs/swagger/plugin');
const nestCli = require('../nest-cli.json');

const { options } = nestCli.compilerOptions.plugins.find((plugin) => plugin.name === '@nestjs/swagger');

module.exports.name = 'nestjs-swagger-transformer';
// Bump when the options change, so ts-jest's cache is invalidated.
module.exports.version = 1;
module.exports.factory = (compiler) => transformer.before(options, compiler.program);
