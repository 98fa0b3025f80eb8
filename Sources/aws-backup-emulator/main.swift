// The emulator's command line lives here (in progress).
