// Every test process needs Nest's decorator metadata before any decorated class is loaded.
require('reflect-metadata');
