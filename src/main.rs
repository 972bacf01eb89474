fn main() {
    std::process::exit(claims::cli::main());
}
