NC.data("search/terms/6c-6f",{"local":[31,137,272],"long":[49,96,177,276],"longer":[214,276],"looked":[218,231,275],"loot":[73,168,202],"lost":[73,202]});
