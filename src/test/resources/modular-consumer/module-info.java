// A modular application using sockscript as a user would: it requires the module and nothing else.
module app {
  requires org.sockscript;
}
