package com.linbit.tunl.relay.keys;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

interface EngineerRepository extends JpaRepository<Engineer, Long> {

    Optional<Engineer> findByName(String name);

    List<Engineer> findAllByOrderByNameAsc();
}
