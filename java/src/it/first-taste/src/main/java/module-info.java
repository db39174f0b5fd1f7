/** The consumer as a module: FirstTaste runs on the module path too (pom.xml). */
module example {
    requires io.gentcp;
}
