// Loaded by ./sockscript before your script: the API, a few JDK helpers, and a registry.
import org.sockscript.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.time.Duration;
import java.util.*;

var sockets = new SocketRegistry();
