NC.data("search/terms/74-65",{"tehran":[18,113,127,275],"term":[49,96,177,276],"terror":[34,40],"terrorism":[62,83,265,275,276],"terrorist":[31,46,51,54,137,272,276],"tested":[215,276]});
