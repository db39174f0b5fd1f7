// Run by maven-invoker-plugin after the build of this project, whether or not it succeeded.
// Checks what the three launches of FirstTaste wrote (pom.xml): the "ok" line (FirstTaste exits 1
// without it, which fails the build too), and the JDK's native-access warning: absent where native
// access is granted (class path and module path) and, on JDK 24 and later, present without it.
def read = { name ->
    def f = new File(basedir, "target/" + name)
    assert f.isFile() : "no " + f + " (see build.log)"
    def text = f.getText("UTF-8")
    println "---- " + name + "\n" + text + "----"
    text
}
def withFlag = read("first-taste.log")
def ok = (withFlag =~ /first-taste: ok on Java (\d+):/)
assert ok.find() : "FirstTaste did not say ok:\n" + withFlag
int feature = ok.group(1) as int

def modulePath = read("first-taste-on-the-module-path.log")
assert modulePath.contains("first-taste: ok on Java " + feature + ":") : "FirstTaste did not say ok on the module path:\n" + modulePath
assert withFlag.contains("; on the class path, gentcp on the class path")
assert modulePath.contains("; in module example, gentcp in module io.gentcp") : "not in modules example and io.gentcp:\n" + modulePath

def withoutFlag = read("first-taste-without-native-access.log")
assert withoutFlag.contains("first-taste: ok on Java " + feature + ":") : "FirstTaste did not say ok without the flag:\n" + withoutFlag

def warning = "restricted method"
assert !withFlag.contains(warning) : "a 'restricted method' warning with --enable-native-access=ALL-UNNAMED:\n" + withFlag
assert !modulePath.contains(warning) : "a 'restricted method' warning on the module path:\n" + modulePath
if (feature >= 24) {
    assert withoutFlag.contains(warning) : "no 'restricted method' warning on Java " + feature + " without the flag"
} else {
    assert !withoutFlag.contains(warning) : "a 'restricted method' warning on Java " + feature + ":\n" + withoutFlag
}
println "first-taste checked on Java " + feature
true
