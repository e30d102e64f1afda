/** Global teardown: prints the skip reporter's block after jest's summary, as the last lines of the run. */
const SkipReporter = require('./skipReporter');

module.exports = async () => {
  const block = SkipReporter.takeCollected();
  if (block) process.stderr.write(block);
};
