// solidity-coverage: the test doubles are not part of the suite.
module.exports = {
  skipFiles: ["mocks/"],
};
