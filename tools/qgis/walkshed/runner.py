"""Runs the walkshed program for an algorithm: finds it, forwards its progress, warnings and summary to
the Processing feedback, and stops it when the user cancels (walkshed then leaves no partial output)."""
import os
import queue
import shutil
import signal
import subprocess
import threading

from qgis.core import QgsProcessingException, QgsSettings

SETTING = 'WALKSHED_BINARY'


def find_program():
    """The walkshed program: the Processing setting, else $WALKSHED_BIN, else PATH."""
    candidates = []
    try:
        from processing.core.ProcessingConfig import ProcessingConfig
        candidates.append(ProcessingConfig.getSetting(SETTING))
    except ImportError:  # pragma: no cover
        pass
    candidates.append(QgsSettings().value('Processing/Configuration/' + SETTING, ''))
    candidates.append(os.environ.get('WALKSHED_BIN', ''))
    for c in candidates:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    found = shutil.which('walkshed')
    if found:
        return found
    raise QgsProcessingException(
        'walkshed program not found: build it (scripts/setup.sh gives build/walkshed) and set its path in '
        'Settings > Options > Processing > Providers > walkshed, or put it on PATH. '
        '未找到 walkshed 程序：请在 处理 选项中设置其路径，或将其加入 PATH。')


def run(arguments, feedback):
    """Runs `walkshed ARGUMENTS --progress-lines`; returns its exit code. Raises QgsProcessingException on
    failure with walkshed's error message; returns None when cancelled."""
    program = find_program()
    command = [program] + [str(a) for a in arguments] + ['--progress-lines']
    feedback.pushCommandInfo(' '.join(_quote(a) for a in command))
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               encoding='utf-8', errors='replace', start_new_session=True)
    lines = queue.Queue()

    def read():
        with process.stdout:
            for line in process.stdout:
                lines.put(line.rstrip('\n'))
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    errors, stage, cancelled = [], None, False
    while True:
        if feedback.isCanceled() and not cancelled:
            cancelled = True
            process.send_signal(signal.SIGTERM)  # walkshed stops at its next step and removes its temporaries
        try:
            line = lines.get(timeout=0.1)
        except queue.Empty:
            continue
        if line is None:
            break
        if line.startswith('PROGRESS '):
            parts = line.split(' ', 2)
            try:
                feedback.setProgress(float(parts[1]))
            except ValueError:
                pass
            if len(parts) > 2 and parts[2] != stage:
                stage = parts[2]
                feedback.setProgressText(stage)
        elif line.startswith('walkshed: error:'):
            errors.append(line[len('walkshed: error:'):].strip())
            feedback.reportError(line, False)
        elif line.startswith('walkshed: warning:'):
            feedback.pushWarning(line[len('walkshed: '):])
        elif line:
            feedback.pushInfo(line)
    try:
        code = process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        code = process.wait()
    if cancelled:
        feedback.pushInfo('cancelled: walkshed stopped without writing its outputs')
        return None
    if code not in (0, 7):  # 7: a study with a failed step (reported in its summary and report)
        raise QgsProcessingException('walkshed failed (exit code %d): %s' % (code, '; '.join(errors) or 'see the log'))
    return code


def _quote(a):
    return a if a and all(c.isalnum() or c in '-_./=:,' for c in a) else "'" + a.replace("'", "'\\''") + "'"
