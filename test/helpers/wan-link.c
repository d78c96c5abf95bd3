/*
 * wan-link: a WAN path in user space, for kernels without sch_netem.
 *
 *   wan-link NEAR_DEVICE FAR_DEVICE
 *
 * Opens two TUN devices (IFF_TUN | IFF_NO_PI) and copies every packet read from one to the
 * other after a delay, with jitter, dropping a seeded, reproducible fraction. The caller moves
 * each device into its namespace (`ip link set DEV netns NS`: the descriptor stays attached)
 * and addresses them as a point-to-point link. The devices vanish when this process ends.
 *
 * stdin, one line per setting, answered "ok" on stdout once applied:
 *   DELAY_US JITTER_US LOSS_PPM SEED REORDER
 * each direction: delay + uniform(-jitter, +jitter), dropped with probability LOSS_PPM / 1e6;
 * packets keep their order unless REORDER is 1. A new line resets the random sequence to SEED.
 * Prints "ready" once both devices exist. Exits when stdin closes or its parent dies.
 * "stats" on stdin prints "passed P dropped D" (both directions).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define SLOTS 65536
#define PACKET_MAX 65536

struct packet {
  int64_t due_ns;
  size_t length;
  unsigned char *bytes;
};

/* One direction: packets read from `from`, written to `to` when due, in due order. */
struct lane {
  int from;
  int to;
  struct packet slots[SLOTS];
  size_t head;
  size_t count;
  int64_t last_due_ns;
};

static int64_t delay_ns, jitter_ns;
static uint32_t loss_ppm;
static int reorder;
static uint64_t rng_state;
static unsigned long passed, dropped;

/* splitmix64: small, seedable, the same sequence on every machine. */
static uint64_t next_random(void) {
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int open_tun(const char *name) {
  int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    perror("wan-link: /dev/net/tun");
    exit(1);
  }
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
  strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
  if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
    fprintf(stderr, "wan-link: TUNSETIFF %s: %s\n", name, strerror(errno));
    exit(1);
  }
  return fd;
}

/* Inserts keeping the queue sorted by due time (only reordering can put a packet before others). */
static void enqueue(struct lane *lane, unsigned char *bytes, size_t length, int64_t due) {
  if (lane->count == SLOTS) {
    free(bytes);
    dropped++;
    return;
  }
  size_t at = lane->count;
  while (at > 0 && lane->slots[(lane->head + at - 1) % SLOTS].due_ns > due) {
    lane->slots[(lane->head + at) % SLOTS] = lane->slots[(lane->head + at - 1) % SLOTS];
    at--;
  }
  lane->slots[(lane->head + at) % SLOTS] = (struct packet){due, length, bytes};
  lane->count++;
}

static void take_in(struct lane *lane, unsigned char *buffer) {
  for (;;) {
    ssize_t length = read(lane->from, buffer, PACKET_MAX);
    if (length <= 0) return;
    if (loss_ppm > 0 && next_random() % 1000000 < loss_ppm) {
      dropped++;
      continue;
    }
    int64_t due = now_ns() + delay_ns;
    if (jitter_ns > 0) due += (int64_t)(next_random() % (uint64_t)(2 * jitter_ns + 1)) - jitter_ns;
    if (!reorder && due < lane->last_due_ns) due = lane->last_due_ns;
    lane->last_due_ns = due;
    unsigned char *copy = malloc((size_t)length);
    if (!copy) {
      dropped++;
      continue;
    }
    memcpy(copy, buffer, (size_t)length);
    enqueue(lane, copy, (size_t)length, due);
  }
}

/* Writes what is due; returns ns until the next packet is due, or -1 when the lane is empty. */
static int64_t send_due(struct lane *lane) {
  int64_t now = now_ns();
  while (lane->count > 0) {
    struct packet *packet = &lane->slots[lane->head];
    if (packet->due_ns > now) return packet->due_ns - now;
    if (write(lane->to, packet->bytes, packet->length) < 0) dropped++;
    else passed++;
    free(packet->bytes);
    lane->head = (lane->head + 1) % SLOTS;
    lane->count--;
  }
  return -1;
}

static int read_settings(char *line, size_t *used) {
  ssize_t got = read(0, line + *used, 255 - *used);
  if (got <= 0) return -1;
  *used += (size_t)got;
  line[*used] = 0;
  char *end;
  while ((end = strchr(line, '\n')) != NULL) {
    *end = 0;
    long long delay_us, jitter_us;
    unsigned long ppm, seed;
    int order;
    if (strcmp(line, "stats") == 0) {
      printf("passed %lu dropped %lu\n", passed, dropped);
    } else if (sscanf(line, "%lld %lld %lu %lu %d", &delay_us, &jitter_us, &ppm, &seed, &order) == 5 && delay_us >= 0 && jitter_us >= 0 &&
               ppm <= 1000000) {
      delay_ns = delay_us * 1000;
      jitter_ns = jitter_us * 1000;
      loss_ppm = (uint32_t)ppm;
      rng_state = seed;
      reorder = order;
      passed = dropped = 0;
      printf("ok\n");
    } else {
      printf("error: expected DELAY_US JITTER_US LOSS_PPM SEED REORDER, got: %s\n", line);
    }
    fflush(stdout);
    size_t rest = *used - (size_t)(end + 1 - line);
    memmove(line, end + 1, rest + 1);
    *used = rest;
  }
  if (*used >= 255) *used = 0;
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: wan-link NEAR_DEVICE FAR_DEVICE\n");
    return 2;
  }
  pid_t parent = getppid();
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) return 1;
  static struct lane lanes[2];
  int near = open_tun(argv[1]);
  int far = open_tun(argv[2]);
  lanes[0].from = near;
  lanes[0].to = far;
  lanes[1].from = far;
  lanes[1].to = near;
  static unsigned char buffer[PACKET_MAX];
  char line[256];
  size_t used = 0;
  printf("ready\n");
  fflush(stdout);
  for (;;) {
    int64_t wait = -1;
    for (int i = 0; i < 2; i++) {
      int64_t next = send_due(&lanes[i]);
      if (next >= 0 && (wait < 0 || next < wait)) wait = next;
    }
    struct pollfd fds[3] = {{0, POLLIN, 0}, {near, POLLIN, 0}, {far, POLLIN, 0}};
    struct timespec timeout = {wait / 1000000000LL, wait % 1000000000LL};
    int ready = ppoll(fds, 3, wait < 0 ? NULL : &timeout, NULL);
    if (ready < 0 && errno != EINTR) return 1;
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      if (read_settings(line, &used) < 0) return 0;
    }
    if (fds[1].revents & POLLIN) take_in(&lanes[0], buffer);
    if (fds[2].revents & POLLIN) take_in(&lanes[1], buffer);
    if (getppid() != parent) return 0;
  }
}
